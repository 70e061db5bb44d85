"""RQ workers: the outbox dispatcher and its topic table, provider tasks, and periodic jobs."""
