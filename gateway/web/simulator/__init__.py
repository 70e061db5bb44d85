"""`/simulator`: a feature phone in the browser, for development and tests only (it does not
exist in production). It dials, texts, answers the sandbox's payment prompt and pushes carrier
events through the public endpoints only, with exactly the fields, paths and signatures the
providers send; it calls no domain function."""
