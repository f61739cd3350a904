"""Batch work over many origins: chunks run here or on a Dask cluster (:mod:`maas.batch.runner`)."""
