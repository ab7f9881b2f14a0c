// policykg graph explorer. Reads the page's JSON data block and draws it with vis-network.
// Text from documents is only ever put into the page with textContent, never parsed as HTML.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var started = performance.now();
  var container = document.getElementById("network");
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var hiddenKinds = {};

  // State the browser tests (and a curious user in the console) can read.
  var state = { ready: false, stabilizedMs: null, nodeCount: data.nodes.length, edgeCount: data.edges.length };
  window.policykgExplorer = state;

  function element(tag, text, className) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) el.textContent = String(text);
    if (className) el.className = className;
    return el;
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
  }

  document.getElementById("summary").textContent =
    data.nodes.length + " nodes, " + data.edges.length + " relations. Click a node for its evidence.";

  // ---------------------------------------------------------------- legend and class filter
  var legend = document.getElementById("legend");
  legend.appendChild(element("h2", "Classes"));
  data.kinds.forEach(function (kind) {
    var label = element("label", null, "legend-item");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.kind = kind.name;
    box.addEventListener("change", function () { setKindVisible(kind.name, box.checked); });
    var swatch = element("span", null, "swatch shape-" + kind.shape);
    swatch.style.backgroundColor = kind.color;
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(element("span", kind.name, "kind-name"));
    label.appendChild(element("span", kind.count, "kind-count"));
    legend.appendChild(label);
  });

  function setKindVisible(kind, visible) {
    hiddenKinds[kind] = !visible;
    var updates = data.nodes
      .filter(function (node) { return node.kind === kind; })
      .map(function (node) { return { id: node.id, hidden: !visible }; });
    nodes.update(updates);
    var box = legend.querySelector('input[data-kind="' + CSS.escape(kind) + '"]');
    if (box) box.checked = visible;
  }

  // ---------------------------------------------------------------- network
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  state.network = network;

  function finishLayout() {
    if (state.ready) return;
    network.setOptions({ physics: { enabled: false } });
    state.ready = true;
    state.stabilizedMs = Math.round(performance.now() - started);
    document.body.dataset.state = "ready";
    document.getElementById("loading").hidden = true;
  }
  network.on("stabilizationProgress", function () {
    if (performance.now() - started > data.layoutBudgetMs) network.stopSimulation();
  });
  network.once("stabilizationIterationsDone", finishLayout);
  network.once("stabilized", finishLayout);
  // Nothing to settle: a layout fixed in advance, or an empty graph (which never reports stabilising).
  if (!data.nodes.length || !data.options.physics || !data.options.physics.enabled) finishLayout();

  // ---------------------------------------------------------------- side panel
  var panel = document.getElementById("panel");
  var details = data.details;

  // One line of the relations list: "relation → other" for outgoing, "other → relation" for incoming.
  function relationItem(relation, otherId, incoming) {
    var item = element("li");
    var link = element("button", details[otherId] ? details[otherId].label : otherId, "node-link");
    link.type = "button";
    link.addEventListener("click", function () { showNode(otherId); });
    if (incoming) {
      item.appendChild(link);
      item.appendChild(element("span", "→ " + relation, "relation"));
    } else {
      item.appendChild(element("span", relation + " →", "relation"));
      item.appendChild(link);
    }
    return item;
  }

  function openPanel(id) {
    var info = details[id];
    if (!info) return;
    document.getElementById("panel-label").textContent = info.label;
    document.getElementById("panel-kind").textContent =
      info.kind + (info.recurrence ? " · mentioned in " + info.recurrence + " paper" + (info.recurrence === 1 ? "" : "s") : "");

    var aliases = document.getElementById("panel-aliases");
    clear(aliases);
    info.aliases.forEach(function (alias) { aliases.appendChild(element("li", alias)); });
    document.getElementById("panel-aliases-section").hidden = info.aliases.length === 0;

    var relations = document.getElementById("panel-relations");
    clear(relations);
    edges.get({ filter: function (edge) { return edge.from === id || edge.to === id; } })
      .sort(function (a, b) { return a.label < b.label ? -1 : a.label > b.label ? 1 : 0; })
      .forEach(function (edge) {
        if (edge.from === id) relations.appendChild(relationItem(edge.label, edge.to, false));
        else relations.appendChild(relationItem(edge.label, edge.from, true));
      });
    if (!relations.firstChild) relations.appendChild(element("li", "none"));

    var quotes = document.getElementById("panel-quotes");
    clear(quotes);
    info.quotes.forEach(function (quote) {
      var item = element("li", null, "quote");
      item.appendChild(element("blockquote", quote.text));
      item.appendChild(element("cite", quote.paper));
      quotes.appendChild(item);
    });
    document.getElementById("panel-quotes-section").hidden = info.quotes.length === 0;
    panel.hidden = false;
    panel.scrollTop = 0;
    highlight(id);
  }

  function closePanel() {
    panel.hidden = true;
    clearHighlight();
  }

  // While a node is open, everything not linked to it fades, so its neighbourhood can be read in a dense graph.
  var highlighted = false;
  var LABEL_COLOUR = "#343434";

  function highlight(id) {
    var near = {};
    near[id] = true;
    network.getConnectedNodes(id).forEach(function (other) { near[other] = true; });
    var linked = {};
    network.getConnectedEdges(id).forEach(function (edge) { linked[edge] = true; });
    nodes.update(data.nodes.map(function (node) {
      return { id: node.id, opacity: near[node.id] ? 1 : 0.12,
               font: { size: node.font.size, color: near[node.id] ? LABEL_COLOUR : "rgba(52, 52, 52, 0.12)" } };
    }));
    edges.update(data.edges.map(function (edge) { return { id: edge.id, hidden: !linked[edge.id] }; }));
    highlighted = true;
  }

  function clearHighlight() {
    if (!highlighted) return;
    nodes.update(data.nodes.map(function (node) {
      return { id: node.id, opacity: 1, font: { size: node.font.size, color: LABEL_COLOUR } };
    }));
    edges.update(data.edges.map(function (edge) { return { id: edge.id, hidden: false }; }));
    highlighted = false;
  }

  function showNode(id) {
    var node = nodes.get(id);
    if (!node) return;
    if (node.hidden) setKindVisible(node.kind, true);
    network.selectNodes([id]);
    openPanel(id);
    // Centre the node in the part of the graph the panel leaves visible.
    network.focus(id, { scale: Math.max(network.getScale(), 1.25), offset: { x: -panel.offsetWidth / 2, y: 0 },
                        animation: { duration: 300, easingFunction: "easeInOutQuad" } });
  }

  network.on("click", function (params) {
    if (params.nodes.length) openPanel(params.nodes[0]);
    else if (!params.edges.length) closePanel();
  });
  document.getElementById("panel-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") closePanel(); });

  // ---------------------------------------------------------------- search
  var search = document.getElementById("search");
  var status = document.getElementById("search-status");
  var labels = document.getElementById("node-labels");
  Object.keys(details).sort(function (a, b) {
    return details[a].label.localeCompare(details[b].label);
  }).forEach(function (id) {
    var option = document.createElement("option");
    option.value = details[id].label;
    labels.appendChild(option);
  });

  function findNode(query) {
    var wanted = query.trim().toLowerCase();
    if (!wanted) return null;
    var ids = Object.keys(details);
    var exact = ids.filter(function (id) {
      var info = details[id];
      return info.label.toLowerCase() === wanted ||
        info.aliases.some(function (alias) { return alias.toLowerCase() === wanted; });
    });
    if (exact.length) return exact[0];
    var partial = ids.filter(function (id) { return details[id].label.toLowerCase().indexOf(wanted) !== -1; });
    partial.sort(function (a, b) { return details[a].label.length - details[b].label.length; });
    return partial.length ? partial[0] : null;
  }

  var lastQuery = null;

  function runSearch() {
    // Enter, then leaving the box, fire both keydown and change: search once per query.
    if (search.value === lastQuery) return;
    lastQuery = search.value;
    var id = findNode(search.value);
    if (id === null) {
      status.textContent = search.value.trim() ? "no node matches" : "";
      return;
    }
    status.textContent = "found: " + details[id].label;
    showNode(id);
  }
  search.addEventListener("change", runSearch);
  search.addEventListener("keydown", function (event) { if (event.key === "Enter") runSearch(); });
  state.findNode = findNode;
  state.showNode = showNode;
})();
