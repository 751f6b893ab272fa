/**
 * The HTML report's only script, inlined: the filters by category, marker, status and history mark. Every scenario
 * row carries `data-category`, `data-markers` (space-separated), `data-status` and `data-mark`; a row is shown when
 * it matches every filter set. Without JavaScript every row stays visible.
 */
export const FILTER_SCRIPT = `
(function () {
  var form = document.getElementById('filters');
  if (!form) return;
  function apply() {
    var f = {
      category: form.elements.category.value,
      marker: form.elements.marker.value,
      status: form.elements.status.value,
      mark: form.elements.mark.value
    };
    var rows = document.querySelectorAll('tr[data-status]');
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!f.category || row.dataset.category === f.category) &&
        (!f.marker || (' ' + row.dataset.markers + ' ').indexOf(' ' + f.marker + ' ') >= 0) &&
        (!f.status || row.dataset.status === f.status) &&
        (!f.mark || row.dataset.mark === f.mark);
      row.classList.toggle('hidden', !ok);
      if (ok) shown++;
    });
    document.querySelectorAll('section.category').forEach(function (section) {
      section.classList.toggle('hidden', !section.querySelector('tr[data-status]:not(.hidden)'));
    });
    document.getElementById('shown').textContent = shown + ' of ' + rows.length + ' scenarios shown';
  }
  form.addEventListener('change', apply);
  apply();
})();
`;
