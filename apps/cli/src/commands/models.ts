import type { Command } from 'commander';
import { connect } from '../connection.js';
import { print } from '../output.js';

/** `mlrpc models ls|load|unload`. */
export function modelsCommand(program: Command): void {
  const models = program.command('models').description('list, load and unload models');
  models
    .command('ls')
    .description('every configured model version')
    .action(async (_options, command: Command) => {
      const { client, json } = connect(command);
      const { models: list } = await client.models.list.query();
      print(json, list, () =>
        list
          .map(
            (model) =>
              `${`${model.id}@${model.version}`.padEnd(28)} ${model.task.padEnd(22)} ${model.state.padEnd(9)} running ${model.running} queue ${model.queueDepth}${model.isTaskDefault ? '  (task default)' : ''}`,
          )
          .join('\n'),
      );
    });
  for (const action of ['load', 'unload'] as const) {
    models
      .command(`${action} <id>`)
      .description(`${action} a model version (admin)`)
      .option('--version <version>', 'a version other than the default')
      .action(async (id: string, options: { version?: string }, command: Command) => {
        const { client, json } = connect(command);
        const selector = { id, ...(options.version ? { version: options.version } : {}) };
        const info =
          action === 'load'
            ? await client.models.load.mutate(selector)
            : await client.models.unload.mutate(selector);
        print(json, info, () => `${info.id}@${info.version} ${info.state}`);
      });
  }
}
