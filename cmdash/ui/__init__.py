"""The only package that imports Streamlit: caching, URL state, sidebar and shared widgets."""
