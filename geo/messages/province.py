"""Messages of ``tongan province`` (progress, the county table, the workers, the files)."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "province_partition": {"zh": "按县分区", "en": "partitioning by county"},
    "province_check": {"zh": "检查各县数据", "en": "checking counties"},
    "province_risk": {"zh": "溺水风险", "en": "drowning risk"},
    "province_coverage": {"zh": "服务覆盖", "en": "service coverage"},
    "province_flood": {"zh": "汛期排查", "en": "flood review"},
    "province_cluster": {
        "zh": "Dask 集群:{where},{n} 个工作进程",
        "en": "Dask cluster: {where}, {n} worker(s)",
    },
    "province_local": {"zh": "本机", "en": "this machine"},
    "province_title": {"zh": "全省运行结果", "en": "Province run"},
    "province_county": {"zh": "县", "en": "County"},
    "province_status": {"zh": "状态", "en": "Status"},
    "province_spots": {"zh": "风险点(红/黄)", "en": "Spots (red/yellow)"},
    "province_share": {"zh": "儿童覆盖率", "en": "Children covered"},
    "province_institutions": {"zh": "机构(高隐患)", "en": "Institutions (high)"},
    "province_seconds": {"zh": "用时(秒)", "en": "Seconds"},
    "province_reason": {"zh": "原因", "en": "Reason"},
    "province_ok": {"zh": "完成", "en": "ok"},
    "province_skipped": {"zh": "跳过", "en": "skipped"},
    "province_failed": {"zh": "失败", "en": "failed"},
    "province_not_done": {
        "zh": "{n} 个县未完成(见上表原因),其余各县结果已写出",
        "en": "{n} county(ies) did not complete (reasons above); the others were written",
    },
    "province_workers": {"zh": "各工作进程内存峰值", "en": "Peak memory per worker"},
    "province_worker": {"zh": "工作进程", "en": "Worker"},
    "province_tasks": {"zh": "任务数", "en": "Tasks"},
    "province_peak": {"zh": "峰值(MiB)", "en": "Peak (MiB)"},
    "province_limit": {"zh": "上限(MiB)", "en": "Limit (MiB)"},
    "province_outside": {
        "zh": "图层 {layer} 有 {n} 个要素不在任何县的范围内,未参与分析(请检查坐标系)",
        "en": "layer {layer}: {n} feature(s) lie in no county's reach and were left out (check the CRS)",
    },
    "province_times": {
        "zh": "分区 {p:.1f} 秒,各县分析 {c:.1f} 秒",
        "en": "partitioning {p:.1f} s, county analyses {c:.1f} s",
    },
    "province_wrote": {"zh": "已写出:{path}", "en": "Wrote: {path}"},
    "province_no_scheduler": {
        "zh": "无法在 {s:.0f} 秒内连接 Dask 调度器 {addr}:{err};请先启动(dask scheduler)或去掉 --scheduler",
        "en": "cannot reach the Dask scheduler {addr} within {s:.0f} s: {err}; start it (dask scheduler) or drop --scheduler",
    },
}
