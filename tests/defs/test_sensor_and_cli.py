"""A build from the CLI is recorded in the Dagster instance the sensor reads, and the sensor sees it."""

from __future__ import annotations

import shutil

import dagster as dg
import pytest

from pipelines.__main__ import main
from pipelines.defs.automation import RANGE_END, RANGE_START, seeds_changed
from pipelines.defs.resources import store_from
from pipelines.settings import paths
from pipelines.store.lake import bucket_of
from tests.conftest import REPO, SAMPLE_ARTICLE


@pytest.fixture
def instance(tmp_path, monkeypatch):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("CLAIMS_DAGSTER_DIR", str(home))
    with dg.DagsterInstance.get() as inst:
        yield inst


def evaluate(inst, p, cursor=None):
    """The sensor's evaluation, its resources set up and torn down around it as the daemon does."""
    with dg.build_sensor_context(instance=inst, resources={"store": store_from(p)}, cursor=cursor) as context:
        return seeds_changed(context)


def sensor(inst, p, cursor=None):
    result = evaluate(inst, p, cursor)
    if isinstance(result, dg.SensorResult):  # nothing to do, with the fingerprint to skip on next time
        assert not result.run_requests and result.cursor
        return result.skip_reason
    return result


def test_a_cli_build_is_in_the_instance_and_leaves_the_sensor_nothing_to_do(tmp_path, seeds_dir, instance):
    wh = tmp_path / "wh" / "claims.sqlite"
    p = paths(seeds_dir, wh)
    assert isinstance(sensor(instance, p), dg.RunRequest)  # nothing built yet: every partition
    assert main(["--warehouse", str(wh), "build", "--seeds", str(seeds_dir), "--no-progress"]) == 0

    runs = instance.get_runs()
    assert len(runs) == 1 and runs[0].is_success
    for key in ("documents", "ingest_errors", "claims_lake", "article_pages"):
        event = instance.get_latest_materialization_event(dg.AssetKey(key))
        assert event is not None and event.run_id == runs[0].run_id, key
        assert event.asset_materialization.metadata, key  # every materialisation says something
    claims = instance.get_latest_materialization_event(dg.AssetKey("claims")).asset_materialization.metadata
    assert claims["rows_analysed"].value > 0 and "claim_id" in claims["preview"].value

    assert isinstance(sensor(instance, p), dg.SkipReason)  # the sensor sees what the CLI built

    (seeds_dir / "later.txt").write_text(SAMPLE_ARTICLE.replace("Tuesday", "Friday"), encoding="utf-8")
    request = sensor(instance, p)
    assert isinstance(request, dg.RunRequest)
    assert request.tags[RANGE_START] == request.tags[RANGE_END] == bucket_of("later.txt")


def test_a_build_with_nothing_changed_still_reports_rows_and_a_preview(tmp_path, seeds_dir, instance):
    wh = tmp_path / "wh" / "claims.sqlite"
    for _ in range(2):
        assert main(["--warehouse", str(wh), "build", "--seeds", str(seeds_dir), "--no-progress"]) == 0
    last = instance.get_runs()[0]
    for key in ("documents", "ingest_errors"):
        md = instance.get_latest_materialization_event(dg.AssetKey(key)).asset_materialization.metadata
        assert "dagster/row_count" in md and "preview" in md, key
    lake_md = instance.get_latest_materialization_event(dg.AssetKey("claims_lake"))
    assert lake_md.run_id == last.run_id
    assert lake_md.asset_materialization.metadata["mode"].value == "unchanged"
    assert lake_md.asset_materialization.metadata["dagster/row_count"].value > 0


def test_the_sensor_skips_on_its_cursor_until_a_file_changes(tmp_path, seeds_dir, instance):
    wh = tmp_path / "wh" / "claims.sqlite"
    p = paths(seeds_dir, wh)
    assert main(["--warehouse", str(wh), "build", "--seeds", str(seeds_dir), "--no-progress"]) == 0
    first = evaluate(instance, p)
    assert isinstance(first, dg.SensorResult) and first.cursor
    assert isinstance(sensor(instance, p, cursor=first.cursor), dg.SkipReason)
    (seeds_dir / "harbour.txt").write_text(SAMPLE_ARTICLE.replace("Tuesday", "Monday"), encoding="utf-8")
    request = sensor(instance, p, cursor=first.cursor)
    assert isinstance(request, dg.RunRequest) and request.tags[RANGE_START] == bucket_of("harbour.txt")
