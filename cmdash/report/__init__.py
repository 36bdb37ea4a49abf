"""The monthly bulletin (月度考核通报): gathered from the KPI roll-up, the assessment, the
coaching review, the retention model and the grade ladder; written as HTML, xlsx or PDF."""
