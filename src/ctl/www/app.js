// SPDX-License-Identifier: BSD-3-Clause
//
// spp live view: reads spp-ctl's REST API every second and draws the
// topology (ports, components, edges rx port -> component -> tx port) as
// SVG with packet rates, and a table of counters. Plain ES2017, no
// framework, no external resource. Every text coming from the API is set
// with textContent, never parsed as HTML.
'use strict';

(function () {
	const REFRESH_MS = 1000;
	const TOKEN_KEY = 'spp.token';
	const SVG_NS = 'http://www.w3.org/2000/svg';
	// Component drop reasons (SPEC 9.1), then rx_missed of a primary phy.
	const REASONS = ['no_dest', 'tx_full', 'link_down', 'nombuf', 'vlan_error', 'malformed',
		'rx_missed'];

	// Layout of the graph, in SVG pixels.
	const NODE_W = 150;
	const NODE_H = 52;
	const COL_GAP = 90;
	const ROW_GAP = 26;
	const MARGIN = 24;

	let prevRows = null;	// rows of the previous sample, by key
	let timer = null;

	class AuthError extends Error {}

	// --- REST ----------------------------------------------------------

	function token() {
		return sessionStorage.getItem(TOKEN_KEY) || '';
	}

	async function getJson(path) {
		const headers = {};
		if (token() !== '')
			headers.Authorization = 'Bearer ' + token();
		const resp = await fetch(path, { headers: headers, cache: 'no-store' });
		if (resp.status === 401)
			throw new AuthError('token required');
		if (!resp.ok)
			throw new Error(path + ': HTTP ' + resp.status);
		return resp.json();
	}

	function procName(p) {
		return p.type === 'primary' ? 'primary' : p.type + ':' + p['client-id'];
	}

	// One sample: the status of every process, each with the time (s) it
	// arrived, so rates use each process's own interval.
	async function takeSample() {
		const procs = await getJson('/v1/processes');
		return Promise.all(procs.map(async function (p) {
			const path = p.type === 'primary' ? '/v1/primary/status' :
				'/v1/' + p.type + 's/' + p['client-id'];
			let status = null;
			try {
				status = await getJson(path);
			} catch (e) {
				// A process leaving between the two requests is not an error.
				if (e instanceof AuthError)
					throw e;
			}
			return { type: p.type, name: procName(p), status: status,
				t: performance.now() / 1000 };
		}));
	}

	// --- counters and rates ------------------------------------------

	// Counter rows of a sample: primary ports, then per secondary its
	// components and the ports it counts (info.port_stats).
	function counterRows(sample) {
		const rows = new Map();
		function add(proc, name, type, t, c) {
			rows.set(proc + '|' + name, { proc: proc, name: name, type: type, t: t, c: c });
		}
		for (const p of sample) {
			const st = p.status;
			if (st === null)
				continue;
			if (p.type === 'primary') {
				for (const e of st.phy_ports || [])
					add('primary', e.port || 'phy:' + e.id, 'port', p.t, {
						rx: e.rx, rx_bytes: e.rx_bytes, tx: e.tx,
						tx_bytes: e.tx_bytes, drop: e.tx_drop,
						reasons: { rx_missed: e.rx_missed || 0 } });
				for (const e of st.ring_ports || [])
					add('primary', 'ring:' + e.id, 'port', p.t, {
						rx: e.rx, rx_bytes: e.rx_bytes, tx: e.tx,
						tx_bytes: e.tx_bytes, drop: e.tx_drop, reasons: {} });
				continue;
			}
			for (const comp of st.components || []) {
				const s = comp.stats;
				if (comp.name === undefined || s === undefined)
					continue;	// an unused lcore
				add(p.name, comp.name, comp.type, p.t, {
					rx: s.rx_packets, rx_bytes: s.rx_bytes, tx: s.tx_packets,
					tx_bytes: s.tx_bytes, drop: s.drop_packets,
					reasons: s.drops || {} });
			}
			for (const e of st.port_stats || [])
				add(p.name, e.port, 'port', p.t, {
					rx: e.rx_packets, rx_bytes: e.rx_bytes, tx: e.tx_packets,
					tx_bytes: e.tx_bytes, drop: e.drop_packets, reasons: {} });
		}
		return rows;
	}

	// Per second since the previous sample; a counter that went backwards
	// (component restarted, "clear" on the primary) counts from zero.
	function addRates(rows, prev) {
		function rate(now, before, dt) {
			now = now || 0;
			before = before || 0;
			return (now >= before ? now - before : now) / dt;
		}
		for (const [key, r] of rows) {
			const b = prev === null ? undefined : prev.get(key);
			const dt = b === undefined ? 0 : r.t - b.t;
			if (dt <= 0) {
				r.rate = null;
				continue;
			}
			r.rate = {
				rx: rate(r.c.rx, b.c.rx, dt),
				rx_bps: rate(r.c.rx_bytes, b.c.rx_bytes, dt) * 8,
				tx: rate(r.c.tx, b.c.tx, dt),
				tx_bps: rate(r.c.tx_bytes, b.c.tx_bytes, dt) * 8,
				drop: rate(r.c.drop, b.c.drop, dt),
				reasons: {},
			};
			for (const reason of REASONS)
				if (r.c.reasons[reason] !== undefined)
					r.rate.reasons[reason] = rate(r.c.reasons[reason],
						b.c.reasons[reason], dt);
		}
	}

	// 1234567 -> "1.23M": at most 6 characters, SI steps of 1000.
	function human(v) {
		const units = ['', 'K', 'M', 'G', 'T', 'P'];
		let u = 0;
		if (!(v > 0))
			return '0';
		while (v >= 999.5 && u < units.length - 1) {
			v /= 1000;
			u++;
		}
		if (u === 0)
			return v < 9.995 ? v.toFixed(2) : v.toFixed(0);
		return (v < 9.995 ? v.toFixed(2) : v < 99.95 ? v.toFixed(1) : v.toFixed(0)) + units[u];
	}

	// --- graph model ---------------------------------------------------

	function portClass(uid) {
		const kind = uid.split(':')[0];
		return ['phy', 'ring', 'vhost'].includes(kind) ? kind : 'other';
	}

	// Nodes (ports and components) and edges of a sample. Rates: a phy or
	// ring node shows the primary's totals, a vhost node the sum over the
	// processes; an edge shows what its process counted on that port in
	// that direction (one component per (port, direction) per process).
	function graphModel(sample, rows) {
		const nodes = new Map();
		const edges = [];
		function rateOf(proc, name) {
			const r = rows.get(proc + '|' + name);
			return r === undefined ? null : r.rate;
		}
		function addPort(uid) {
			if (!nodes.has(uid))
				nodes.set(uid, { id: uid, kind: 'port', cls: portClass(uid), label: uid,
					sub: portClass(uid) === 'other' ? '' : portClass(uid), rate: null });
			return nodes.get(uid);
		}
		const pri = sample.find(function (p) { return p.type === 'primary'; });
		if (pri !== undefined && pri.status !== null)
			for (const e of pri.status.phy_ports || []) {
				const n = addPort(e.port || 'phy:' + e.id);
				n.sub = e.eth + (e.link ? ' ' + e.link : '');
			}
		for (const p of sample) {
			if (p.type === 'primary' || p.status === null)
				continue;
			for (const comp of p.status.components || []) {
				if (comp.name === undefined)
					continue;
				const id = p.name + '/' + comp.name;
				nodes.set(id, { id: id, kind: 'component', cls: p.type, label: comp.name,
					sub: comp.type + ' · ' + p.name + ' · core ' + comp.core,
					rate: rateOf(p.name, comp.name) });
				(comp.rx_port || []).forEach(function (port) {
					addPort(port.port);
					const r = rateOf(p.name, port.port);
					edges.push({ from: port.port, to: id, copy: false,
						pps: r === null ? null : r.rx });
				});
				(comp.tx_port || []).forEach(function (port, i) {
					addPort(port.port);
					const r = rateOf(p.name, port.port);
					edges.push({ from: id, to: port.port,
						copy: p.type === 'mirror' && i === 1,
						pps: r === null ? null : r.tx });
				});
			}
		}
		for (const n of nodes.values()) {
			if (n.kind !== 'port')
				continue;
			if (n.cls === 'phy' || n.cls === 'ring') {
				n.rate = rateOf('primary', n.id);
				continue;
			}
			// vhost and others: what the processes counted, summed.
			for (const r of rows.values()) {
				if (r.name !== n.id || r.proc === 'primary' || r.rate === null)
					continue;
				n.rate = n.rate || { rx: 0, tx: 0 };
				n.rate.rx += r.rate.rx;
				n.rate.tx += r.rate.tx;
			}
		}
		return { nodes: Array.from(nodes.values()), edges: edges };
	}

	// Columns by longest path from the nodes nothing points to; a cycle
	// (ring back to an earlier component) stops growing at the node count.
	// Rows in a column follow the mean row of their predecessors, which
	// keeps most edges from crossing.
	function layout(g) {
		const col = new Map(g.nodes.map(function (n) { return [n.id, 0]; }));
		for (let i = 0; i < g.nodes.length; i++) {
			let changed = false;
			for (const e of g.edges) {
				const c = col.get(e.from) + 1;
				if (c > col.get(e.to) && c < g.nodes.length) {
					col.set(e.to, c);
					changed = true;
				}
			}
			if (!changed)
				break;
		}
		const columns = [];
		for (const n of g.nodes) {
			const c = col.get(n.id);
			while (columns.length <= c)
				columns.push([]);
			columns[c].push(n);
		}
		const row = new Map();
		columns.forEach(function (nodes, c) {
			if (c > 0) {
				const key = new Map(nodes.map(function (n, i) {
					const preds = g.edges.filter(function (e) {
						return e.to === n.id && row.has(e.from);
					}).map(function (e) { return row.get(e.from); });
					const mean = preds.length === 0 ? i :
						preds.reduce(function (a, b) { return a + b; }, 0) / preds.length;
					return [n.id, mean];
				}));
				nodes.sort(function (a, b) { return key.get(a.id) - key.get(b.id); });
			}
			nodes.forEach(function (n, i) { row.set(n.id, i); });
		});
		const pos = new Map();
		for (const n of g.nodes)
			pos.set(n.id, { x: MARGIN + col.get(n.id) * (NODE_W + COL_GAP),
				y: MARGIN + row.get(n.id) * (NODE_H + ROW_GAP) });
		const height = Math.max.apply(null, columns.map(function (c) { return c.length; }));
		return { pos: pos,
			width: 2 * MARGIN + columns.length * (NODE_W + COL_GAP) - COL_GAP,
			height: 2 * MARGIN + height * (NODE_H + ROW_GAP) - ROW_GAP };
	}

	// --- drawing -------------------------------------------------------

	function svgEl(name, attrs, parent) {
		const el = document.createElementNS(SVG_NS, name);
		for (const k in attrs)
			el.setAttribute(k, attrs[k]);
		if (parent)
			parent.appendChild(el);
		return el;
	}

	function svgText(parent, x, y, text, cls) {
		const el = svgEl('text', { x: x, y: y }, parent);
		if (cls)
			el.setAttribute('class', cls);
		el.textContent = text;
		return el;
	}

	function rateText(rate) {
		if (rate === null)
			return 'rx - tx -';
		return 'rx ' + human(rate.rx) + ' tx ' + human(rate.tx) + ' pps';
	}

	function drawGraph(g) {
		const box = document.getElementById('graph');
		box.textContent = '';
		if (g.nodes.length === 0) {
			const p = document.createElement('p');
			p.className = 'empty';
			p.textContent = 'No primary and no component yet.';
			box.appendChild(p);
			return;
		}
		const lay = layout(g);
		const svg = svgEl('svg', { xmlns: SVG_NS, width: lay.width, height: lay.height,
			viewBox: '0 0 ' + lay.width + ' ' + lay.height, role: 'img',
			'aria-label': 'spp topology' }, box);
		// One arrow size whatever the edge's stroke width.
		const marker = svgEl('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5,
			markerUnits: 'userSpaceOnUse', markerWidth: 10, markerHeight: 10,
			orient: 'auto-start-reverse' },
			svgEl('defs', {}, svg));
		svgEl('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#58627a' }, marker);

		for (const e of g.edges) {
			const a = lay.pos.get(e.from);
			const b = lay.pos.get(e.to);
			const x1 = a.x + NODE_W, y1 = a.y + NODE_H / 2;
			const x2 = b.x, y2 = b.y + NODE_H / 2;
			// Forward edges bend gently; edges going back loop wide.
			const dx = Math.max(60, Math.abs(x2 - x1) / 2);
			const cls = 'edge' + (e.pps > 0 ? ' active' : '') + (e.copy ? ' copy' : '');
			const grp = svgEl('g', { class: cls, 'data-from': e.from, 'data-to': e.to,
				'data-pps': e.pps === null ? '' : Math.round(e.pps) }, svg);
			svgEl('path', { d: 'M' + x1 + ',' + y1 + ' C' + (x1 + dx) + ',' + y1 + ' ' +
				(x2 - dx) + ',' + y2 + ' ' + x2 + ',' + y2, 'marker-end': 'url(#arrow)' },
				grp);
			const label = (e.pps === null ? '-' : human(e.pps) + ' pps') +
				(e.copy ? ' (copy)' : '');
			svgText(grp, (x1 + x2) / 2 - 24, (y1 + y2) / 2 - 4, label);
		}
		for (const n of g.nodes) {
			const p = lay.pos.get(n.id);
			const grp = svgEl('g', { class: 'node ' + n.kind + ' ' + n.cls, 'data-id': n.id,
				transform: 'translate(' + p.x + ',' + p.y + ')' }, svg);
			svgEl('rect', { width: NODE_W, height: NODE_H, rx: n.kind === 'component' ? 14 : 2 },
				grp);
			svgText(grp, 8, 15, n.label).setAttribute('font-weight', 'bold');
			svgText(grp, 8, 30, n.sub, 'process-label');
			svgText(grp, 8, 45, rateText(n.rate), 'rate');
		}
	}

	function drawTable(rows) {
		const body = document.querySelector('#counters tbody');
		body.textContent = '';
		for (const r of rows.values()) {
			const tr = document.createElement('tr');
			tr.setAttribute('data-key', r.proc + '|' + r.name);
			function cell(text, cls) {
				const td = document.createElement('td');
				td.textContent = text;
				if (cls)
					td.className = cls;
				tr.appendChild(td);
			}
			cell(r.proc);
			cell(r.name);
			cell(r.type);
			cell(String(r.c.rx || 0));
			cell(String(r.c.tx || 0));
			cell(String(r.c.drop || 0), r.c.drop > 0 ? 'drops' : '');
			const q = r.rate;
			for (const k of ['rx', 'rx_bps', 'tx', 'tx_bps', 'drop'])
				cell(q === null ? '-' : human(q[k]),
					q !== null && q[k] > 0 ? (k === 'drop' ? 'drops' : 'nonzero') : '');
			const reasons = q === null ? [] : REASONS.filter(function (k) {
				return q.reasons[k] > 0;
			}).map(function (k) { return k + '=' + human(q.reasons[k]); });
			cell(reasons.join(' '), reasons.length > 0 ? 'drops' : '');
			body.appendChild(tr);
		}
	}

	function setState(text, cls) {
		const el = document.getElementById('state');
		el.textContent = text;
		el.className = 'state ' + cls;
	}

	// --- refresh loop --------------------------------------------------

	async function refresh() {
		const started = performance.now();
		try {
			const sample = await takeSample();
			const rows = counterRows(sample);
			addRates(rows, prevRows);
			prevRows = rows;
			drawGraph(graphModel(sample, rows));
			drawTable(rows);
			setState('live · ' + sample.length + ' processes · ' +
				new Date().toLocaleTimeString(), 'ok');
			document.body.setAttribute('data-refreshed', String(Date.now()));
		} catch (e) {
			if (e instanceof AuthError)
				setState(token() === '' ? 'token required' : 'token refused', 'error');
			else
				setState('error: ' + e.message, 'error');
		}
		const wait = Math.max(0, REFRESH_MS - (performance.now() - started));
		timer = setTimeout(refresh, wait);
	}

	function restart() {
		clearTimeout(timer);
		prevRows = null;
		refresh();
	}

	// "/#token=T" stores T for this tab, then drops it from the address bar
	// (a fragment is never sent to the server).
	const m = /^#token=(.+)$/.exec(location.hash);
	if (m !== null) {
		sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
		history.replaceState(null, '', location.pathname);
	}
	document.getElementById('token-form').addEventListener('submit', function (ev) {
		const input = document.getElementById('token');
		ev.preventDefault();
		sessionStorage.setItem(TOKEN_KEY, input.value.trim());
		input.value = '';
		restart();
	});
	document.getElementById('token-forget').addEventListener('click', function () {
		sessionStorage.removeItem(TOKEN_KEY);
		restart();
	});
	refresh();
}());
