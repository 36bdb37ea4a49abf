"""Process-wide memory for computed results: a byte-budgeted cache, free of Streamlit."""
