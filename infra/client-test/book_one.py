"""One booking through the local stack with the client openapi-python-client generated
from /openapi.json: a study team creates a workspace and a study with the typed
models, a participant books through the public share link with a phone and SMS
consent, and both sides then read the booking back. Every reply is parsed into the
generated model for its documented status; anything else fails the test."""
import datetime
import sys
import uuid

import httpx

from participant_messaging_client import AuthenticatedClient, Client
from participant_messaging_client.api.bookings_api_function import get_studies_sid_bookings
from participant_messaging_client.api.public_booking_function import (
    get_public_studies_share_token,
    post_public_studies_share_token_bookings,
)
from participant_messaging_client.api.manage_booking_function import (
    get_public_bookings_manage_token,
)
from participant_messaging_client.api.studies_api_function import post_workspaces_ws_studies
from participant_messaging_client.api.workspaces_api_function import (
    post_workspaces,
    put_workspaces_ws_settings_sms,
)
from participant_messaging_client.models import (
    Book,
    BookingCreated,
    BookingStatus,
    CreateStudy,
    CreateWorkspace,
    ManageView,
    PublicStudyView,
    Recruitment,
    SetSms,
    SmsSettings,
    StudyKind,
    StudyView,
    TeamBookingViewPage,
    WorkspaceCreated,
)


def expect(response, status, model):
    """The reply has the documented status and parsed into the documented model."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert isinstance(response.parsed, model), (type(response.parsed), response.content[:500])
    return response.parsed


def main(base_url: str) -> None:
    # The dev token route is the local stack's own (not in the API document).
    me = f"client-{uuid.uuid4().hex[:12]}"
    token = httpx.post(
        f"{base_url}/_dev/token", json={"sub": me, "email": f"{me}@example.org"}
    ).json()["token"]
    team = AuthenticatedClient(base_url=base_url, token=token, raise_on_unexpected_status=True)
    public = Client(base_url=base_url, raise_on_unexpected_status=True)

    ws = expect(
        post_workspaces.sync_detailed(client=team, body=CreateWorkspace(name="Client test lab")),
        201,
        WorkspaceCreated,
    )
    sms = expect(
        put_workspaces_ws_settings_sms.sync_detailed(ws.id, client=team, body=SetSms(enabled=True)),
        200,
        SmsSettings,
    )
    study = expect(
        post_workspaces_ws_studies.sync_detailed(
            ws.id,
            client=team,
            body=CreateStudy(
                name="Sleep and memory", kind=StudyKind.INTERVIEW, recruitment=Recruitment.DIRECT
            ),
        ),
        201,
        StudyView,
    )
    assert study.workspace_id == ws.id and study.kind == StudyKind.INTERVIEW

    shown = expect(
        get_public_studies_share_token.sync_detailed(study.share_token, client=public),
        200,
        PublicStudyView,
    )
    assert shown.kind == StudyKind.INTERVIEW

    starts_at = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=7)).replace(
        second=0, microsecond=0
    )
    booked = expect(
        post_public_studies_share_token_bookings.sync_detailed(
            study.share_token,
            client=public,
            body=Book(
                name="Ann Example",
                email=f"ann-{uuid.uuid4().hex[:8]}@example.org",
                starts_at=starts_at,
                time_zone="America/New_York",
                phone="+16175550142",
                sms_consent=True,
            ),
        ),
        201,
        BookingCreated,
    )

    view = expect(
        get_public_bookings_manage_token.sync_detailed(booked.manage_token, client=public),
        200,
        ManageView,
    )
    assert view.starts_at == starts_at, (view.starts_at, starts_at)
    assert view.status == BookingStatus.BOOKED and view.phone_last4 == "0142", view

    schedule = expect(
        get_studies_sid_bookings.sync_detailed(study.id, client=team), 200, TeamBookingViewPage
    )
    ids = [b.booking_id for b in schedule.items]
    assert booked.booking_id in ids, ids
    print(
        f"generated client: booked {booked.booking_id} in study {study.id} "
        f"(sms enabled: {sms.enabled}); manage view and team schedule agree"
    )


if __name__ == "__main__":
    main(sys.argv[1])
