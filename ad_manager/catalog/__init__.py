"""The site's article catalogue and the related-link inserts ("À lire aussi :")."""
