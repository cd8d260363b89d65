import type { HostedModel } from '../serving/model-host.js';
import { WorkerInstance } from './worker-instance.js';
import type { WorkerSetup } from './worker-protocol.js';

/** A model's worker threads; a crashed one is replaced so the model keeps its capacity. */
export class WorkerPool implements HostedModel {
  private members: WorkerInstance[];
  private closed = false;
  private capacityListeners: Array<() => void> = [];
  /** Told why a worker crashed or could not be replaced. */
  onTrouble: (message: string) => void = () => undefined;

  private constructor(
    private readonly setup: WorkerSetup,
    private readonly capacity: number,
    members: WorkerInstance[],
  ) {
    this.members = members;
    for (const member of members) this.watch(member);
  }

  /** Starts `entry.instances` workers in parallel; if any fails to load, none is kept. */
  static async start(setup: WorkerSetup, capacity: number): Promise<WorkerPool> {
    const started = await Promise.allSettled(
      Array.from({ length: setup.entry.instances }, () => WorkerInstance.start(setup, capacity)),
    );
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) {
      await Promise.all(
        started.map((result) =>
          result.status === 'fulfilled' ? result.value.terminate() : Promise.resolve(),
        ),
      );
      throw failure.reason;
    }
    return new WorkerPool(
      setup,
      capacity,
      started.map((result) => (result as PromiseFulfilledResult<WorkerInstance>).value),
    );
  }

  get metadata(): unknown {
    return this.members[0]?.metadata;
  }

  instances(): readonly WorkerInstance[] {
    return this.members;
  }

  onCapacity(listener: () => void): void {
    this.capacityListeners.push(listener);
  }

  async dispose(): Promise<void> {
    this.closed = true;
    const members = this.members;
    this.members = [];
    await Promise.all(members.map((member) => member.terminate()));
  }

  private watch(member: WorkerInstance): void {
    member.onCrash = (error) => {
      this.members = this.members.filter((candidate) => candidate !== member);
      this.onTrouble(`worker crashed (${error.message}); starting a replacement`);
      if (this.closed) return;
      WorkerInstance.start(this.setup, this.capacity).then(
        async (replacement) => {
          if (this.closed) return replacement.terminate();
          this.watch(replacement);
          this.members = [...this.members, replacement];
          for (const listener of this.capacityListeners) listener();
        },
        (failure: unknown) =>
          this.onTrouble(`replacement worker failed to load: ${String(failure)}`),
      );
    };
  }
}
