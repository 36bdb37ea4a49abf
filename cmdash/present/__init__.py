"""What each page shows, shaped in pandas from KPI frames: no Streamlit, testable alone."""
