import type { RouterOutputs } from '@mlrpc/client';

export type ModelInfo = RouterOutputs['models']['list']['models'][number];

/**
 * Fills every `select[data-task]` with the models serving that task (or tasks: reranking takes
 * embedding models too), the first task's default first, so each panel offers exactly what the
 * server can run; a choice the user made survives a refresh.
 */
export function fillModelSelects(root: ParentNode, models: ModelInfo[]): void {
  for (const select of root.querySelectorAll<HTMLSelectElement>('select[data-task]')) {
    const tasks = (select.dataset.task ?? '').split(/\s+/);
    const isDefault = (model: ModelInfo) => model.isTaskDefault && model.task === tasks[0];
    const served = models
      .filter((model) => tasks.includes(model.task))
      .sort(
        (left, right) =>
          Number(isDefault(right)) - Number(isDefault(left)) ||
          tasks.indexOf(left.task) - tasks.indexOf(right.task),
      );
    const ids = [...new Set(served.map((model) => model.id))];
    const previous = select.value;
    select.replaceChildren(
      ...ids.map((id) => {
        const marked = served.some((model) => model.id === id && isDefault(model));
        return new Option(marked ? `${id} (default)` : id, id);
      }),
    );
    if (ids.includes(previous)) select.value = previous;
  }
}
