"""Reads a Parquet file with pyarrow (an independent reader) and prints what the aws.securitylake
test checks, as JSON: the Parquet schema, the Arrow schema, codecs, row groups and every row.
Usage: python read-parquet.py FILE"""
import json
import sys

import pyarrow.parquet as pq

f = pq.ParquetFile(sys.argv[1])
meta = f.metadata
columns = [meta.row_group(g).column(c) for g in range(meta.num_row_groups) for c in range(meta.num_columns)]
print(json.dumps({
    "parquetSchema": str(f.schema).split("\n", 1)[1].strip(),
    "arrowSchema": [f"{field.name}: {field.type}{'' if field.nullable else ' not null'}" for field in f.schema_arrow],
    "createdBy": meta.created_by,
    "rowGroups": meta.num_row_groups,
    "rows": meta.num_rows,
    "codecs": sorted({c.compression for c in columns}),
    "columns": [c.path_in_schema for c in columns[: meta.num_columns]],
    "records": f.read().to_pylist(),
}))
