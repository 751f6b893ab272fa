/** The HTML report's stylesheet, inlined in the page (the report is one offline file). */
export const HTML_STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2329;background:#f6f8fa}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;text-transform:capitalize}
.meta{color:#57606a;margin-bottom:16px}.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px 14px;min-width:110px}
.card b{display:block;font-size:20px}.card span{color:#57606a;font-size:12px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #d0d7de;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eaeef2}td.num{text-align:right;white-space:nowrap}
.status{font-weight:600;border-radius:4px;padding:1px 6px;white-space:nowrap}
.passed{background:#dafbe1;color:#116329}.failed{background:#ffebe9;color:#a40e26}
.skipped,.not-implemented{background:#fff8c5;color:#7d4e00}
details ul{margin:6px 0;padding-left:18px}li.ok{color:#116329}li.ko{color:#a40e26}
pre{white-space:pre-wrap;margin:6px 0;color:#a40e26}.verdict-ok{color:#116329}.verdict-ko{color:#a40e26}
code.check-id{color:#57606a}.measured{color:#57606a;white-space:nowrap}li.warn,.warn{color:#7d4e00}
.leaks{background:#ffebe9;border:2px solid #cf222e;border-radius:6px;padding:8px 14px;margin:12px 0;color:#a40e26}
.leaks h2{margin:4px 0 8px;color:#a40e26}.leaks table{background:#fff}
.mark{font-size:12px;border-radius:10px;padding:0 7px;white-space:nowrap;font-weight:600}
.mark.flaky{background:#fbefff;color:#8250df}.mark.new-failure{background:#ffebe9;color:#a40e26}
.mark.fixed{background:#ddf4ff;color:#0969da}.mark.failing{background:#ffebe9;color:#82071e}.mark.stable{background:#eaeef2;color:#57606a}
.trail{font-family:ui-monospace,monospace;letter-spacing:1px}.trail .p{color:#1a7f37}.trail .f{color:#cf222e}.trail .o{color:#8c959f}
.spark{display:inline-flex;align-items:flex-end;gap:1px;height:18px;vertical-align:middle}.spark i{display:inline-block;width:4px;background:#8c959f}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;margin:16px 0}
.timeline{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:8px}.tl-row{display:flex;align-items:center;height:18px;margin:2px 0}
.tl-label{width:230px;font-size:12px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}.tl-track{position:relative;flex:1;height:14px;background:#f6f8fa}
.tl-seg{position:absolute;top:0;height:14px;min-width:1px}.ph-create{background:#54aeff}.ph-act{background:#4ac26b}.ph-verify{background:#d4a72c}
.ph-destroy{background:#fa4549}.ph-cleanup-audit{background:#8c959f}.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
.over{color:#a40e26;font-weight:600}.hidden{display:none}
`;
