"""Makes moto's PutLogEvents answer rejectedLogEventsInfo as the AWS API reference documents it.

AWS: tooOldLogEventEndIndex is "the index of the last log event that is too old. This field is
exclusive" (the count of too-old events, as the CloudWatch agent and Fluent Bit read it), and
tooNewLogEventStartIndex is "the index of the first log event that is too new. This field is
inclusive". moto 5.2.5 gives the index of the last too-old event (inclusive) and of the last too-new
one. Idempotent; fails if moto's code is not the one this patch knows.
"""
import pathlib
import sys

models = pathlib.Path(sys.argv[1]) / "moto" / "logs" / "models.py"
text = models.read_text()
PATCHED = "# peregrine: rejectedLogEventsInfo as documented by AWS"
if PATCHED in text:
    sys.exit(0)
old_old = 'rejected_info["tooOldLogEventEndIndex"] = idx\n'
old_new = 'rejected_info["tooNewLogEventStartIndex"] = idx\n'
if text.count(old_old) != 1 or text.count(old_new) != 1:
    sys.exit(f"patch-moto: {models} is not the code this patch knows (moto upgraded?)")
text = text.replace(old_old, f'rejected_info["tooOldLogEventEndIndex"] = idx + 1  {PATCHED}\n')
text = text.replace(old_new, 'rejected_info.setdefault("tooNewLogEventStartIndex", idx)\n')
models.write_text(text)
