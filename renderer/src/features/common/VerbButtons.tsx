/**
 * A thing's verbs (Rename, Archive, …) as plain buttons side by side; with `of`, each is named for
 * the thing too ("Rename space Work"), so a list of many things keeps its buttons apart.
 */
export function VerbButtons({
  verbs,
  of,
  className,
}: {
  verbs: readonly (readonly [verb: string, act: () => void])[];
  of?: string;
  className: string;
}) {
  return (
    <>
      {verbs.map(([verb, act]) => (
        <button
          key={verb}
          type="button"
          className={className}
          aria-label={of === undefined ? undefined : `${verb} ${of}`}
          onClick={act}
        >
          {verb}
        </button>
      ))}
    </>
  );
}
