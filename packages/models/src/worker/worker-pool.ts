import { WorkerInstance } from './worker-instance.js';
import type { WorkerSetup } from './worker-protocol.js';

/** A model's worker threads; a crashed one is replaced so the model keeps its capacity. */
export class WorkerPool {
  private members: WorkerInstance[];
  private closed = false;
  /** Told when capacity changes (a replacement arrived), so queued work can start. */
  onCapacity: () => void = () => undefined;
  /** Told why a worker crashed or could not be replaced. */
  onTrouble: (message: string) => void = () => undefined;

  private constructor(
    private readonly setup: WorkerSetup,
    members: WorkerInstance[],
  ) {
    this.members = members;
    for (const member of members) this.watch(member);
  }

  /** Starts `entry.instances` workers in parallel; if any fails to load, none is kept. */
  static async start(setup: WorkerSetup): Promise<WorkerPool> {
    const started = await Promise.allSettled(
      Array.from({ length: setup.entry.instances }, () => WorkerInstance.start(setup)),
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
      started.map((result) => (result as PromiseFulfilledResult<WorkerInstance>).value),
    );
  }

  get instances(): readonly WorkerInstance[] {
    return this.members;
  }

  async terminate(): Promise<void> {
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
      WorkerInstance.start(this.setup).then(
        async (replacement) => {
          if (this.closed) return replacement.terminate();
          this.watch(replacement);
          this.members = [...this.members, replacement];
          this.onCapacity();
        },
        (failure: unknown) =>
          this.onTrouble(`replacement worker failed to load: ${String(failure)}`),
      );
    };
  }
}
