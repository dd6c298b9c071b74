import { useEffect, useState, type RefObject } from 'react';

/**
 * Whether an element is on screen (or nearly: within MARGIN of the graph's visible area), from one
 * IntersectionObserver shared by every card. Cards off screen stop re-rendering on live ticks: with
 * the 177 cards of an expanded pipeline, a replay then costs what the visible cards cost.
 */
const MARGIN = '160px';

type Callback = (visible: boolean) => void;
const callbacks = new Map<Element, Callback>();
let observer: IntersectionObserver | null = null;

function shared(): IntersectionObserver | null {
  if (typeof IntersectionObserver !== 'function') return null;
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) callbacks.get(entry.target)?.(entry.isIntersecting);
    },
    { rootMargin: MARGIN },
  );
  return observer;
}

export function useOnScreen(ref: RefObject<Element | null>): boolean {
  const [visible, setVisible] = useState(true);
  useEffect(() => {
    const el = ref.current;
    const io = shared();
    if (el === null || io === null) return;
    callbacks.set(el, setVisible);
    io.observe(el);
    return () => {
      io.unobserve(el);
      callbacks.delete(el);
    };
  }, [ref]);
  return visible;
}
