"""The catalogue: what can be sold, sellers' listings, browsing and searching them."""
