"""Money: collecting payments, callbacks and status checks, the ledger, escrow, payouts."""
