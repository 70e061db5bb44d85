"""Text for feature phones: GSM-7 measuring and transliteration, folding, names screens can show."""
