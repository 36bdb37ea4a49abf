"""Optional senders: one mail per recipient over SMTP, or one post to a webhook
(企业微信 / DingTalk text message, or plain JSON). Settings come from the [sender] table;
secrets (the SMTP password, the webhook URL with its token) from the environment."""

from __future__ import annotations

import json
import os
import smtplib
import urllib.request
from email.message import EmailMessage

import pandas as pd

from cmdash.errors import InputError


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise InputError(f"The alert sender needs the environment variable {name}")
    return value


def message(fired: pd.DataFrame) -> str:
    return "\n".join(f"[{r.rule}] {r.name} ({r.district}): {r.evidence}"
                     for r in fired.itertuples())


def send(sender: dict, fired: pd.DataFrame) -> int:
    """Sends the firings; returns how many messages went out."""
    if fired.empty:
        return 0
    if sender["kind"] == "smtp":
        return _smtp(sender, fired)
    return _webhook(sender, fired)


def _smtp(s: dict, fired: pd.DataFrame) -> int:
    by_recipient: dict[str, list[int]] = {}
    for i, r in enumerate(fired["recipients"]):
        for who in filter(None, str(r).split(";")):
            by_recipient.setdefault(who, []).append(i)
    with smtplib.SMTP(s["host"], s.get("port", 25), timeout=s.get("timeout", 10.0)) as smtp:
        if s.get("starttls"):
            smtp.starttls()
        if s.get("user_env"):
            smtp.login(_env(s["user_env"]), _env(s["password_env"]))
        for who, rows in by_recipient.items():
            mail = EmailMessage()
            mail["From"], mail["To"] = s["from"], who
            mail["Subject"] = f"cmdash: {len(rows)} alert(s)"
            mail.set_content(message(fired.iloc[rows]))
            smtp.send_message(mail)
    return len(by_recipient)


def _webhook(s: dict, fired: pd.DataFrame) -> int:
    text = message(fired)
    style = s.get("style", "json")
    if style in ("wecom", "dingtalk"):  # both accept {"msgtype": "text", "text": {...}}
        body = {"msgtype": "text", "text": {"content": text}}
    else:
        body = {"alerts": fired.drop(columns=["key"]).to_dict(orient="records")}
    request = urllib.request.Request(
        _env(s["url_env"]), data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"}, method="POST")
    with urllib.request.urlopen(request, timeout=s.get("timeout", 10.0)) as response:
        if response.status >= 300:
            raise InputError(f"The webhook answered HTTP {response.status}")
    return 1
