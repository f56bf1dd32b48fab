// DOM helpers shared by the page's modules.

// el makes an element with the attributes that are set (undefined, null and
// '' are left out) and, when text is given, that text.
export function el(tag, attrs, text) {
  var n = document.createElement(tag);
  if (attrs) {
    Object.keys(attrs).forEach(function (k) {
      if (attrs[k] !== undefined && attrs[k] !== null && attrs[k] !== '') { n.setAttribute(k, attrs[k]); }
    });
  }
  if (text !== undefined && text !== null) { n.textContent = String(text); }
  return n;
}

// clear removes every child of n.
export function clear(n) { while (n.firstChild) { n.removeChild(n.firstChild); } }
