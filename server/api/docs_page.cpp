#include "server/api/docs_page.h"

namespace atende::server::api {

QByteArray docsPageHtml()
{
    return QByteArrayLiteral(R"HTML(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Atende API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f0f2f5;color:#111b21}
header{background:#008069;color:#fff;padding:18px 32px}header h1{margin:0;font-size:22px}
main{max-width:1000px;margin:24px auto;padding:0 16px}
.op{background:#fff;border-radius:8px;margin:10px 0;padding:12px 16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.m{display:inline-block;min-width:60px;font-weight:700;font-family:monospace}
.GET{color:#1a73e8}.POST{color:#008069}.PUT,.PATCH{color:#b06000}.DELETE{color:#c5221f}
code{font-family:ui-monospace,monospace;font-size:13px}.perm{float:right;color:#667781;font-size:12px}
details{margin-top:6px}pre{background:#f7f8fa;padding:8px;border-radius:6px;overflow:auto;font-size:12px}
h2{font-size:16px;color:#54656f;text-transform:uppercase;letter-spacing:.05em;margin-top:28px}
</style></head><body><header><h1>Atende API</h1><div id="ver"></div></header><main id="ops">Loading…</main>
<script>
fetch('/docs/json').then(r=>r.json()).then(doc=>{
 document.getElementById('ver').textContent='version '+doc.info.version+' · OpenAPI '+doc.openapi+' · JSON at /docs/json';
 const groups={};
 for(const [path,item] of Object.entries(doc.paths))for(const [method,op] of Object.entries(item))
  (groups[op.tags[0]]=groups[op.tags[0]]||[]).push({path,method:method.toUpperCase(),op});
 const el=document.getElementById('ops');el.textContent='';
 const schema=n=>JSON.stringify(doc.components.schemas[n]||{},null,2);
 const refName=s=>s&&s['$ref']?s['$ref'].split('/').pop():null;
 for(const [tag,ops] of Object.entries(groups)){
  const h=document.createElement('h2');h.textContent=tag;el.appendChild(h);
  for(const o of ops){const d=document.createElement('div');d.className='op';
   const req=o.op.requestBody?refName(o.op.requestBody.content['application/json'].schema):null;
   const res=refName(o.op.responses['200'].content['application/json'].schema);
   d.innerHTML='<span class="perm"></span><span class="m '+o.method+'"></span> <code class="p"></code> — <b class="id"></b> <span class="s"></span>';
   d.querySelector('.perm').textContent='permission: '+o.op['x-permission'];
   d.querySelector('.m').textContent=o.method;d.querySelector('.p').textContent=o.path;
   d.querySelector('.id').textContent=o.op.operationId;d.querySelector('.s').textContent=o.op.summary||'';
   const det=document.createElement('details');const sum=document.createElement('summary');sum.textContent='schemas';det.appendChild(sum);
   for(const [label,n] of [['request',req],['response',res]]){if(!n)continue;const p=document.createElement('pre');p.textContent=label+' '+n+'\n'+schema(n);det.appendChild(p);}
   if(o.op.parameters){const p=document.createElement('pre');p.textContent='parameters\n'+JSON.stringify(o.op.parameters,null,2);det.appendChild(p);}
   d.appendChild(det);el.appendChild(d);}
 }
}).catch(e=>{document.getElementById('ops').textContent='Could not load /docs/json: '+e;});
</script></body></html>
)HTML");
}

} // namespace atende::server::api
