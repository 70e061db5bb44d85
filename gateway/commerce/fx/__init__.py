"""Exchange rates: storing them, quoting one pair, converting integer minor units."""
