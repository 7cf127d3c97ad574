// Tekton Triggers: an EventListener's sink takes any JSON body (falcosidekick posts the alert JSON)
// for its TriggerBindings to read as $(body.…), creates the TriggerTemplate's resources (a
// PipelineRun, a TaskRun) and answers 202 {"eventListener","namespace","eventListenerUID","eventID"}
// (older releases waited for the triggers: 201 when one created its resources, 401/403 when RBAC
// refused them); 400 for a body that is not a JSON object; 500 without a body when it cannot read
// its own EventListener or Triggers.
import { maxConcurrentRequests, optionalHttpUrl, tlsShape, z } from '../../src/plugin/index.ts';
import { defineJsonPostOutput } from '../webhook/post.ts';
import { classifyTekton } from './classify.ts';

export default defineJsonPostOutput({
  name: 'tekton',
  description: 'POST each alert as JSON to a Tekton Triggers EventListener, to start a PipelineRun or TaskRun.',
  schema: z.object({
    eventlistener: optionalHttpUrl('http://el-falco-listener.tekton-pipelines:8080').describe(
      'EventListener URL (its Service, e.g. http://el-falco-listener.tekton-pipelines:8080). Setting it turns the output on.',
    ),
    maxconcurrentrequests: maxConcurrentRequests(),
    ...tlsShape,
  }),
  example: { eventlistener: 'http://el-falco-listener.tekton-pipelines:8080' },
  url: (options) => options.eventlistener,
  contentType: 'application/json; charset=utf-8',
  headers: () => ({}),
  // A TriggerBinding may read it as $(header.Idempotency-Key), e.g. to name the PipelineRun so a
  // replayed alert cannot start a second one; the EventListener itself ignores unknown headers.
  idempotencyKey: true,
  // Each request makes the EventListener create resources through the API server: 8 at once keep up
  // with a burst without flooding it.
  concurrency: 8,
  classify: classifyTekton,
});
