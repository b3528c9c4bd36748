"""An Excel import written by a background job: all or nothing, and every way it can fail said in
Chinese on the job's page; with the task queue down it is written in the request, with a warning."""
from django.urls import reverse

from enterprises.jobs import start_figures_import
from enterprises.models import FiscalYearRecord
from jobs.models import Job
from tests.jobs.test_jobs import unreachable_queue  # noqa: F401  (tasks sent to a Redis nobody listens on)

from .test_import import COMMIT_URL, row, upload, xlsx


def staged(media, content, name="staged.xlsx"):
    (media / "imports").mkdir(exist_ok=True)
    path = media / "imports" / name
    path.write_bytes(content)
    return path


def test_an_import_whose_firm_was_deleted_before_the_job_ran_writes_nothing_and_names_the_row(bob, firm, other_firm,
                                                                                                media):
    path = staged(media, xlsx([row(other_firm, 2024), row(firm, 2024)]))
    firm.delete()
    job = start_figures_import(path, filename="年度数据.xlsx", rows=2, user=bob)
    assert (job.status, job.done, job.total) == (Job.Status.FAILED, 0, 2)
    assert job.outcome.startswith("导入失败，未写入任何数据：数据已变化，文件中有1处错误：")
    assert "第3行" in job.outcome and "不存在" in job.outcome
    assert not FiscalYearRecord.objects.exists()
    assert path.exists()                    # kept: the job may be retried once the firm is back
    job.delete()
    assert not path.exists()                # and goes with the job


def test_an_import_whose_file_is_gone_says_to_upload_it_again(bob, media):
    job = start_figures_import(media / "imports" / "gone.xlsx", filename="年度数据.xlsx", rows=1, user=bob)
    assert job.status == Job.Status.FAILED
    assert job.outcome == "导入失败，未写入任何数据：上传的文件已不存在，请重新上传。"


def test_an_import_with_the_queue_down_is_written_in_the_request_with_a_warning(client, bob, firm, media,
                                                                                 unreachable_queue):  # noqa: F811
    client.force_login(bob)
    upload(client, xlsx([row(firm, 2024)]))
    response = client.post(COMMIT_URL, {"token": client.session["fiscal_year_import"]["token"]}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and Job.objects.get().in_request
    assert "后台任务队列暂不可用，导入已在本次请求中完成。" in page
    assert "导入完成：新增1条，更新0条，无变化0条。" in page
    assert FiscalYearRecord.objects.filter(enterprise=firm, year=2024).exists()
    assert reverse("enterprises:fiscal_year_import") in page          # 继续导入
