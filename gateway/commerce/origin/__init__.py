"""Origin of goods across borders: HS headings, Common Lists and the STR, Simplified
Certificates of Origin and their verification."""
