"""The cluster as `tui-dl cluster status` shows it: nodes, their CPUs and GPUs, and this
machine's runs that went to a cluster, with the node each ran on."""

from __future__ import annotations

from typing import Any

from tui_dl.engine.events import Event
from tui_dl.engine.store import RunStore

RECENT = 50


def cluster_status(address: str) -> dict[str, Any]:
    """ConnectionError/RuntimeError when the cluster cannot be reached or Ray is missing."""
    from tui_dl.engine.cluster.driver import connect

    ray = connect(address)
    free = ray.available_resources()
    nodes = []
    for node in ray.nodes():
        resources = node.get("Resources", {})
        key = f"node:{node.get('NodeManagerAddress', '')}"
        alive = bool(node.get("Alive"))
        share = 1.0 if alive and key in free else 0.0
        nodes.append(
            {
                "address": node.get("NodeManagerAddress", "?"),
                "alive": alive,
                "cpus": resources.get("CPU", 0.0),
                "gpus": resources.get("GPU", 0.0),
                "cpus_free": free.get("CPU", 0.0) * share if len(ray.nodes()) == 1 else
                resources.get("CPU", 0.0),
                "gpus_free": free.get("GPU", 0.0) * share if len(ray.nodes()) == 1 else
                resources.get("GPU", 0.0),
                "memory_gib": resources.get("memory", 0.0) / 2**30,
            }
        )  # fmt: skip
    runs = []
    for info in RunStore().list(RECENT):
        if not info.spec.get("cluster"):
            continue
        where = next((e.get("node") for e in info.events if e.get("event") == Event.PHASE
                      and e.get("node")), None)  # fmt: skip
        runs.append({"run_id": info.run_id, "status": info.status, "node": where,
                     "cluster": info.spec["cluster"]})  # fmt: skip
    return {"address": address, "nodes": nodes, "runs": runs}
