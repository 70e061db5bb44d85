"""Village agents: their points, their customers' consent, and the audit trail of what they do."""
