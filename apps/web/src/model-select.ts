import type { RouterOutputs } from '@mlrpc/client';

export type ModelInfo = RouterOutputs['models']['list']['models'][number];

/**
 * Fills every `select[data-task]` with the models serving that task, the task's default first, so
 * each panel offers exactly what the server can run; a choice the user made survives a refresh.
 */
export function fillModelSelects(root: ParentNode, models: ModelInfo[]): void {
  for (const select of root.querySelectorAll<HTMLSelectElement>('select[data-task]')) {
    const served = models
      .filter((model) => model.task === select.dataset.task)
      .sort((left, right) => Number(right.isTaskDefault) - Number(left.isTaskDefault));
    const ids = [...new Set(served.map((model) => model.id))];
    const previous = select.value;
    select.replaceChildren(
      ...ids.map((id) => {
        const isDefault = served.some((model) => model.id === id && model.isTaskDefault);
        return new Option(isDefault ? `${id} (default)` : id, id);
      }),
    );
    if (ids.includes(previous)) select.value = previous;
  }
}
