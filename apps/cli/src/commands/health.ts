import type { Command } from 'commander';
import { connect } from '../connection.js';
import { print } from '../output.js';

/** `mlrpc health`: is the server up, and which models are ready. */
export function healthCommand(program: Command): void {
  program
    .command('health')
    .description('server status and the state of each model')
    .action(async (_options, command: Command) => {
      const { client, json } = connect(command);
      const health = await client.health.query();
      print(json, health, () =>
        [
          `${health.status} (version ${health.version}, up ${Math.round(health.uptimeSeconds)} s)`,
          ...health.models.map(
            (model) =>
              `  ${model.id}@${model.version}  ${model.state}${model.device ? ` on ${model.device}` : ''}${model.error ? `  ${model.error}` : ''}`,
          ),
        ].join('\n'),
      );
      if (health.status === 'unhealthy') process.exitCode = 1;
    });
}
