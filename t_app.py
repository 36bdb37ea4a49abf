import os, sys, time
os.environ["CMDASH_DATA_ROOTS"]="/tmp/droot"
from streamlit.testing.v1 import AppTest
page = sys.argv[1]; lang = sys.argv[2] if len(sys.argv) > 2 else "中文"
at = AppTest.from_file("app.py", default_timeout=120)
at.query_params["lang"] = lang
t = time.time(); at.run()
if page != "overview":
    at.switch_page(f"pages/{page}.py").run()
print("time", time.time()-t)
print("EXC", at.exception)
print("titles", [x.value for x in at.title], "metrics", [(m.label, m.value) for m in at.metric][:4])
print("errors", [e.value for e in at.error], "warn", [w.value for w in at.warning], "info", [i.value for i in at.info])
