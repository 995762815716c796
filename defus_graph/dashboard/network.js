// The graph component: draws the network with vis-network and reports clicks.
//
// Streamlit (components v2) imports this module once and calls the default
// export every time the Python side sends new data. The vis-network instance
// is kept per mount point, so a rerun only updates nodes, edges and the
// legend: positions are fixed (physics off) and the viewport stays where the
// user left it unless the set of nodes changed.
//
// Nothing from the data is ever parsed as HTML: labels are drawn on the
// canvas, tooltips are plain strings (vis-network sets them as innerText) and
// the legend is built from text nodes.

const INSTANCES = new WeakMap();

// Options come from Python (defus_graph.viz.VIS_OPTIONS, shared with the HTML
// export); these only add what a click-driven dashboard needs.
const DASHBOARD_OPTIONS = {
  interaction: { multiselect: false, keyboard: false, hideEdgesOnDrag: false },
  edges: { selectionWidth: 0 },
};

function merged(base, extra) {
  const out = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    out[key] =
      value && typeof value === "object" && !Array.isArray(value)
        ? merged(base[key] || {}, value)
        : value;
  }
  return out;
}

function edgeId(edge) {
  return `${edge.from}\u0000${edge.to}`;
}

function syncDataSet(dataSet, items) {
  const keep = new Set(items.map((item) => item.id));
  const gone = dataSet.getIds().filter((id) => !keep.has(id));
  if (gone.length) dataSet.remove(gone);
  // Replace attributes wholesale so a highlight from the last selection
  // never lingers on a node that is no longer highlighted.
  const existing = new Set(dataSet.getIds());
  const fresh = items.filter((item) => !existing.has(item.id));
  const changed = items.filter((item) => existing.has(item.id));
  if (changed.length) {
    dataSet.remove(changed.map((item) => item.id));
    dataSet.add(changed);
  }
  if (fresh.length) dataSet.add(fresh);
}

function renderLegend(element, items, text) {
  element.replaceChildren();
  const note = document.createElement("span");
  note.className = "dg-legend-note";
  note.textContent = text || "";
  element.append(note);
  for (const item of items) {
    const row = document.createElement("div");
    row.className = "dg-legend-row";
    const swatch = document.createElement("span");
    const shape = ["square", "ring"].includes(item.shape) ? item.shape : "dot";
    swatch.className = `dg-swatch dg-${shape}`;
    if (shape === "ring") swatch.style.borderColor = item.colour;
    else swatch.style.backgroundColor = item.colour;
    const label = document.createElement("span");
    label.textContent = item.label;
    row.append(swatch, label);
    element.append(row);
  }
}

function pagePosition(inst, id) {
  const positions = inst.network.getPositions([id]);
  if (!positions[id]) return null;
  const dom = inst.network.canvasToDOM(positions[id]);
  const rect = inst.canvasElement.getBoundingClientRect();
  return { x: rect.left + dom.x, y: rect.top + dom.y };
}

function create(parentElement, options) {
  const vis = globalThis.vis;
  if (!vis || !vis.Network) {
    throw new Error("vis-network did not load; the graph cannot be drawn.");
  }
  const root = parentElement.querySelector(".dg-root");
  const canvasElement = root.querySelector(".dg-canvas");
  const nodes = new vis.DataSet();
  const edges = new vis.DataSet();
  const network = new vis.Network(
    canvasElement,
    { nodes, edges },
    merged(options || {}, DASHBOARD_OPTIONS),
  );
  const inst = {
    root,
    canvasElement,
    legend: root.querySelector(".dg-legend"),
    nodes,
    edges,
    network,
    signature: null,
    setTriggerValue: null,
  };
  network.on("click", (params) => {
    if (params.nodes.length && inst.setTriggerValue) {
      inst.setTriggerValue("clicked", String(params.nodes[0]));
    }
  });
  network.on("hoverNode", () => {
    canvasElement.style.cursor = "pointer";
  });
  network.on("blurNode", () => {
    canvasElement.style.cursor = "default";
  });
  return inst;
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let inst = INSTANCES.get(parentElement);
  const payload = data || { nodes: [], edges: [], legend: [], selected: null, signature: "" };
  if (!inst || !inst.root.isConnected) {
    inst = create(parentElement, payload.options);
    INSTANCES.set(parentElement, inst);
  }
  inst.setTriggerValue = setTriggerValue;
  inst.generation = (inst.generation || 0) + 1;
  const generation = inst.generation;
  syncDataSet(inst.nodes, payload.nodes);
  syncDataSet(
    inst.edges,
    payload.edges.map((edge) => ({ ...edge, id: edgeId(edge) })),
  );
  if (payload.signature !== inst.signature) {
    inst.signature = payload.signature;
    inst.network.fit({ animation: false });
  }
  renderLegend(inst.legend, payload.legend, payload.legendNote);
  inst.root.dataset.selected = payload.selected || "";
  inst.root.dataset.nodes = String(payload.nodes.length);
  inst.root.dataset.ready = "true";
  // For tests and for the curious: where a node is drawn on the page.
  globalThis.defusGraph = {
    network: inst.network,
    positionOf: (id) => pagePosition(inst, id),
  };
  // Streamlit keeps only the latest cleanup; an older one may still run when
  // a rerun overtakes a pending call, and must not tear down the live graph.
  return () => {
    if (inst.generation !== generation) return;
    inst.network.destroy();
    INSTANCES.delete(parentElement);
    if (globalThis.defusGraph && globalThis.defusGraph.network === inst.network) {
      delete globalThis.defusGraph;
    }
  };
}
