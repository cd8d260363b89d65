export { inProcessHost, type FakeModels } from './in-process-host.js';
export {
  recordingChatModel,
  recordingCrossEncoder,
  recordingEmbeddingModel,
  recordingImageClassifier,
  recordingTensorModel,
  recordingTextClassifier,
  recordingTokenClassifier,
  type Recording,
} from './recording-models.js';
