import './zod-settings.js';
import './styles.css';
import { mountChatPanel } from './chat-panel.js';
import { mountClassifyPanel } from './classify-panel.js';
import { Connection } from './connection.js';
import { required } from './dom.js';
import { mountEmbedPanel } from './embed-panel.js';
import { mountJobsPanel } from './jobs-panel.js';
import { mountRerankPanel } from './rerank-panel.js';
import { watchServerStatus } from './server-status.js';
import { mountTextPanel } from './text-panel.js';

const connection = new Connection();
const refreshStatus = watchServerStatus(
  required(document, '#server-status', HTMLElement),
  connection,
);
mountChatPanel(required(document, '#chat', HTMLElement), connection);
mountClassifyPanel(required(document, '#classify', HTMLElement), connection);
mountEmbedPanel(required(document, '#embed', HTMLElement), connection);
mountTextPanel(required(document, '#text', HTMLElement), connection);
mountRerankPanel(required(document, '#rerank', HTMLElement), connection);
const refreshJobs = mountJobsPanel(required(document, '#jobs', HTMLElement), connection);

const apiKeyForm = required(document, '#api-key-form', HTMLFormElement);
const apiKeyInput = required(apiKeyForm, 'input[name=apiKey]', HTMLInputElement);
apiKeyInput.value = connection.apiKey;
apiKeyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  connection.setApiKey(apiKeyInput.value.trim());
  void refreshStatus();
  void refreshJobs();
});
document.body.dataset.ready = 'true';
