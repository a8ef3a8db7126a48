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
    listed = ray.nodes()
    free_by_node = available_per_node(ray)
    total_free = ray.available_resources()
    nodes = []
    for node in listed:
        resources = node.get("Resources", {})
        alive = bool(node.get("Alive"))
        free = free_by_node.get(node.get("NodeID", ""))
        if free is None and len(listed) == 1:
            free = total_free  # one node: the cluster's free is its own
        nodes.append(
            {
                "address": node.get("NodeManagerAddress", "?"),
                "node_id": node.get("NodeID"),
                "alive": alive,
                "cpus": resources.get("CPU", 0.0),
                "gpus": resources.get("GPU", 0.0),
                # None where this Ray cannot say per node (then the totals below do).
                "cpus_free": None if free is None else (free.get("CPU", 0.0) if alive else 0.0),
                "gpus_free": None if free is None else (free.get("GPU", 0.0) if alive else 0.0),
                "memory_gib": resources.get("memory", 0.0) / 2**30,
            }
        )
    runs = []
    for info in RunStore().list(RECENT):
        if not info.spec.get("cluster"):
            continue
        where = next((e.get("node") for e in info.events if e.get("event") == Event.PHASE
                      and e.get("node")), None)  # fmt: skip
        runs.append({"run_id": info.run_id, "status": info.status, "node": where,
                     "cluster": info.spec["cluster"]})  # fmt: skip
    return {
        "address": address,
        "nodes": nodes,
        "cpus_free": total_free.get("CPU", 0.0),
        "gpus_free": total_free.get("GPU", 0.0),
        "runs": runs,
    }


def available_per_node(ray: Any) -> dict[str, dict[str, float]]:
    """What is free on each node, by node id; empty where this Ray does not say (the call
    lives in Ray's own state module, not its stable API, so a missing one is no error)."""
    try:
        from ray._private import state

        return dict(state.available_resources_per_node())
    except Exception:  # noqa: BLE001 — the cluster-wide figures still stand
        return {}
