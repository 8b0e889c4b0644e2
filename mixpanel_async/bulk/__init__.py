"""The bulk export/import machinery: JSON → Polars (`tabular`), ingestion records (`records`),
date partitions and bounded fan-out (`partitions`), Parquet files on disk (`files`), JSONL streams
(`jsonl`) and progress bars (`progress`). Used by the export and ingestion mixins in `api/`."""
