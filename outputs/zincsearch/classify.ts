// ZincSearch's answers to POST /api/<index>/_doc (pkg/handlers/document/create_update.go and
// pkg/routes/middleware.go AuthMiddleware) → outcomes: 200 {"message":"ok","id",…,"result":"created"};
// 400 {"error"} a body that is no JSON object; 401 {"auth":"Missing credentials"|"Invalid credentials"};
// 403 {"error":"No permission:document.Create"} (the user's role lacks it); 500 {"error"} the index or
// its write-ahead log failing (disk, storage); 404 "404 page not found" (not ZincSearch's API there).
import { classifyHttp, refusal, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

export function classifyZincsearch(res: HttpResponse, now: number): Outcome {
  const outcome = classifyHttp(res, now);
  if (outcome.kind === 'retry' && outcome.auth) return { ...outcome, reason: outcome.reason.replace("check the output's token/username/password", 'check zincsearch.username/password and the role\'s document.Create permission') };
  if ((res.status === 404 || res.status === 405) && outcome.kind === 'fail') return refusal(res.status, `${outcome.reason} (no ZincSearch document API here: check zincsearch.hostport)`);
  return outcome;
}
