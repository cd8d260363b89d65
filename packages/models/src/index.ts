export { planDevices, type DevicePlan } from './device/plan-devices.js';
export { probeDevices, type DeviceProbe } from './device/probe-devices.js';
export {
  loadModelConfig,
  modelConfigSchema,
  type ModelConfig,
  type ModelEntry,
} from './model-config.js';
export { ModelError } from './model-error.js';
export { ModelManager, type ModelManagerOptions, type RunOptions } from './model-manager.js';
export type { ModelSelection, ModelsHealth } from './model-registry.js';
export type { ExecutionDevice, RuntimeSettings } from './runtime/load-context.js';
export type { ModelHost, HostedModel } from './serving/model-host.js';
export type { TaskParts } from './tasks/task-definition.js';
export {
  predictRoute,
  predictTasks,
  taskTable,
  type TaskInput,
  type TaskOutput,
} from './tasks/task-table.js';
export type { ChatRequest } from './tasks/text-generation/text-generation-task.js';
export type {
  EarlierTokens,
  GenerationStep,
} from './tasks/text-generation/text-generation-model.js';
export { ToolCallStream, parseToolCalls } from './tasks/text-generation/tool-calls.js';
export {
  compileJsonSchema,
  supportedSchemaKeywords,
} from './tasks/text-generation/constraints/json-schema-compiler.js';
