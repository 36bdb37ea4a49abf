"""What-if: move a setting and see who changes rank, type, grade or pay."""
