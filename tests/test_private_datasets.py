"""A private dataset is visible only inside its organization."""
from __future__ import annotations

from tests.factories import dataset_with_table, user


def test_private_dataset_is_seen_by_its_organization_only(app, users, client, auth):
    with app.app_context():
        ds, result = dataset_with_table(user("org_admin"), name="internal", title="Rekap Bencana Internal",
                                       private=True, publish=True)
        rid = result.resource.id
    urls = ["/dataset/internal", f"/dataset/internal/resource/{rid}", f"/dataset/internal/resource/{rid}/download/x.csv",
            f"/dataset/internal/resource/{rid}/chart.svg", f"/dataset/internal/resource/{rid}/chart.png"]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.get("/dataset?format=json&q=internal").get_json()["count"] == 0
    assert "internal" not in client.get("/group/bencana-sosial").get_data(as_text=True)

    auth.login("other_editor")
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.get("/dataset?format=json&q=internal").get_json()["count"] == 0
    auth.logout()

    auth.login("editor")
    for url in urls:
        assert client.get(url).status_code == 200, url
    found = client.get("/dataset?format=json&q=internal").get_json()
    assert [r["name"] for r in found["results"]] == ["internal"]
