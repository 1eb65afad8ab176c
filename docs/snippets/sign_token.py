"""Signs a Kindred host token (HS256) with the Python standard library only.

Usage: SITE_ID=riverside SITE_SECRET=... USER_ID=ehr-1001 USER_NAME="Maria Lopez" python3 sign_token.py
"""
import base64
import hashlib
import hmac
import json
import os
import sys
import time


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def sign_token(site_id: str, site_secret: str, user_id: str, user_name: str, lifetime_s: int = 600) -> str:
    now = int(time.time())
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {"sub": user_id, "name": user_name, "aud": site_id, "iat": now, "exp": now + lifetime_s}
    signing_input = ".".join(
        b64url(json.dumps(part, separators=(",", ":"), ensure_ascii=False).encode("utf-8")) for part in (header, claims)
    )
    # The secret's text is the key, exactly as "kindred site add" printed it.
    signature = hmac.new(site_secret.encode("utf-8"), signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


if __name__ == "__main__":
    env = {name: os.environ.get(name) for name in ("SITE_ID", "SITE_SECRET", "USER_ID", "USER_NAME")}
    missing = [name for name, value in env.items() if not value]
    if missing:
        print("Set " + ", ".join(missing) + ".", file=sys.stderr)
        sys.exit(2)
    print(sign_token(env["SITE_ID"], env["SITE_SECRET"], env["USER_ID"], env["USER_NAME"]))
