export { inProcessHost, type FakeModels } from './in-process-host.js';
export {
  recordingChatModel,
  recordingEmbeddingModel,
  recordingImageClassifier,
  recordingTensorModel,
  type Recording,
} from './recording-models.js';
