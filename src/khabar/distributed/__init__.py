"""Distributed work on PostgreSQL: ``khabar worker`` processes on any number of machines.

The job queue is procrastinate's, in the same database (:mod:`.app`); the jobs are the usual
stages (:mod:`.jobs`); per-host politeness is shared through the database (:mod:`.hostgate`);
writes are serialized by a database-wide lock with stories kept in step (:mod:`.writelock`).

Nothing is imported here: ``khabar --help`` must not load procrastinate. Use
``khabar.distributed.app`` (``build_app``, ``defer_source``, ``run_worker``).
"""
