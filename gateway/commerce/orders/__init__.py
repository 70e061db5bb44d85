"""Orders: the status machine, placing and cancelling, fulfilment, receipts, and views of them."""
