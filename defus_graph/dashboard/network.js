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

// The network's links come as columns (defus_graph.draw.vis.vis_links): one
// object per link made a click's payload megabytes of repeated keys and names.
// The edges built here are those the HTML export draws.
function linkEdges(nodes, links) {
  const ids = nodes.map((node) => node.id);
  const edges = new Array(links.from.length);
  for (let k = 0; k < edges.length; k += 1) {
    const from = links.from[k];
    const to = links.to[k];
    edges[k] = {
      from: ids[from],
      to: ids[to],
      width: links.width[k],
      color: links.palette[links.colour[k]],
      title: `${links.names[from]} \u2013 ${links.names[to]}${links.tips[links.tip[k]]}`,
    };
  }
  return edges;
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

// The map (dashboard/map.py) prepends the country outlines, projected into the
// drawing's own coordinates, as DG_OUTLINES: flat [x0, y0, x1, y1, ...] rings,
// painted under the markers on every redraw. The network declares none.
function drawOutlines(ctx, rings, scale) {
  ctx.save();
  ctx.lineWidth = 1 / scale;
  ctx.fillStyle = "#f1f1ec";
  ctx.strokeStyle = "#b4b4ad";
  for (const ring of rings) {
    ctx.beginPath();
    ctx.moveTo(ring[0], ring[1]);
    for (let i = 2; i < ring.length; i += 2) ctx.lineTo(ring[i], ring[i + 1]);
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
  }
  ctx.restore();
}

// On the map, markers, labels and links keep their size on screen whatever the
// zoom (payload.screenSized): zooming in then pulls neighbouring cities apart
// instead of growing them with the map. Sizes in the payload are pixels.
// Markers come largest first; only the first LABELS are labelled at the
// opening zoom, more as one zooms in (four times as many at twice the zoom).
const LABELS = 40;
function scaledNodes(inst, scale) {
  const labelled = LABELS * Math.pow(scale / (inst.fitScale || scale), 2);
  const selected = inst.root.dataset.selected;
  return inst.baseNodes.map((n, rank) => ({
    ...n,
    size: n.size / scale,
    borderWidth: (n.borderWidth || 1) / scale,
    font: {
      ...(n.font || {}),
      size: rank < labelled || n.id === selected ? ((n.font && n.font.size) || 14) / scale : 0,
    },
  }));
}

function scaledEdges(inst, scale) {
  return inst.baseEdges.map((e) => ({ ...e, id: edgeId(e), width: (e.width || 1) / scale }));
}

function keepScreenSizes(inst) {
  if (!inst.screenSized) return;
  const scale = inst.network.getScale();
  if (scale === inst.sizedAt) return;
  inst.sizedAt = scale;
  inst.nodes.update(scaledNodes(inst, scale));
  inst.edges.update(scaledEdges(inst, scale));
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
  // typeof: only the map's module declares DG_OUTLINES.
  // eslint-disable-next-line no-undef
  const outlines = typeof DG_OUTLINES !== "undefined" ? DG_OUTLINES : null;
  if (outlines) {
    network.on("beforeDrawing", (ctx) => drawOutlines(ctx, outlines, network.getScale()));
  }
  // Any change of scale (wheel, fit, focus) is seen on the next drawing.
  network.on("beforeDrawing", () => keepScreenSizes(inst));
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
  const started = performance.now();
  let inst = INSTANCES.get(parentElement);
  const payload = data || { nodes: [], edges: [], legend: [], selected: null, signature: "" };
  if (!inst || !inst.root.isConnected) {
    inst = create(parentElement, payload.options);
    INSTANCES.set(parentElement, inst);
  }
  inst.setTriggerValue = setTriggerValue;
  inst.generation = (inst.generation || 0) + 1;
  const generation = inst.generation;
  inst.root.dataset.selected = payload.selected || "";
  inst.screenSized = Boolean(payload.screenSized);
  inst.baseNodes = payload.nodes;
  inst.baseEdges = payload.links ? linkEdges(payload.nodes, payload.links) : payload.edges;
  // Items go in once, already at their size on screen for the current zoom.
  const scale = inst.network.getScale();
  const nodes = inst.screenSized ? scaledNodes(inst, scale) : payload.nodes;
  const edges = inst.screenSized
    ? scaledEdges(inst, scale)
    : inst.baseEdges.map((edge) => ({ ...edge, id: edgeId(edge) }));
  const newNodeSet = payload.signature !== inst.signature;
  if (newNodeSet) {
    // Another part of the network (a click in a large one): new data sets in one go.
    // Syncing would take every item out and put it back, and vis-network goes over
    // all of its nodes and links after each of those steps.
    inst.nodes = new globalThis.vis.DataSet(nodes);
    inst.edges = new globalThis.vis.DataSet(edges);
    inst.network.setData({ nodes: inst.nodes, edges: inst.edges });
  } else {
    syncDataSet(inst.nodes, nodes);
    syncDataSet(inst.edges, edges);
  }
  inst.sizedAt = scale;
  if (newNodeSet) {
    inst.signature = payload.signature;
    // The map opens on Europe, leaving partners far away (payload.fitNodes) aside.
    const fitNodes = payload.fitNodes && payload.fitNodes.length ? payload.fitNodes : null;
    inst.network.fit(fitNodes ? { nodes: fitNodes, animation: false } : { animation: false });
    inst.fitScale = inst.network.getScale();
  }
  renderLegend(inst.legend, payload.legend, payload.legendNote);
  keepScreenSizes(inst); // after a fit, the zoom changed
  inst.root.dataset.nodes = String(payload.nodes.length);
  // How long this update took in the browser (ms), for benchmarks.
  inst.root.dataset.renderMs = String(Math.round(performance.now() - started));
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
