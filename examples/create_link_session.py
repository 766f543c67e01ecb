"""Create a WhatsApp account link session and print it.

python examples/create_link_session.py                  # the real API; needs WASSIST_API_KEY
python examples/create_link_session.py --base-url URL   # another server, e.g. a local mock
"""

from __future__ import annotations

import argparse
import sys

from wassist_api_client import Wassist, WassistError
from wassist_api_client.api.whatsapp_link_sessions import create
from wassist_api_client.models import WhatsAppLinkSessionRequest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", help="API base URL (default: WASSIST_BASE_URL or the production API)")
    parser.add_argument("--success-url", default="https://example.com/whatsapp/linked")
    parser.add_argument("--return-url", default="https://example.com/whatsapp/cancelled")
    args = parser.parse_args()

    try:
        with Wassist(base_url=args.base_url) as client:
            session = create.sync(
                client=client,
                body=WhatsAppLinkSessionRequest(success_url=args.success_url, return_url=args.return_url),
            )
    except WassistError as error:
        print(f"Could not create a link session: {error}", file=sys.stderr)
        return 1
    print("Created a WhatsApp link session")
    print(f"  id:       {session.id}")
    print(f"  status:   {session.status.value}")
    print(f"  link URL: {session.link_url}")
    print("Send the user to the link URL to connect their WhatsApp account.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
