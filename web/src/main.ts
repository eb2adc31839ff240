/** Entry point: finds the page's elements, starts the view, exposes the test hook. */
import './styles.css';
import { required } from './ui/dom.js';
import { GraphViewApp } from './view/app.js';
import { installTestHook } from './view/test-hook.js';

const all = <T extends Element>(selector: string) => [...document.querySelectorAll<T>(selector)];

const graph = required<HTMLElement>(document, '#graph');
const app = new GraphViewApp({
  hashtag: required(document, '#hashtag'),
  scopeButtons: all<HTMLButtonElement>('[data-scope]'),
  metric: required(document, '#size-metric'),
  search: required(document, '#search'),
  suggestions: required(document, '#suggestions'),
  exportButtons: all<HTMLButtonElement>('[data-format]'),
  zoomButtons: all<HTMLButtonElement>('[data-zoom]'),
  stage: required(document, '.stage'),
  graph,
  legend: required(document, '#legend'),
  status: required(document, '#status'),
  overlay: required(document, '#overlay'),
  panel: required(document, '#panel'),
  toast: required(document, '#toast'),
});
installTestHook(app, graph);
void app.start();
