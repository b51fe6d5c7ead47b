/**
 * Plain text in which `backticked` parts are commands: they are shown as code the person can select
 * and copy in one go (the engine's advice names the exact command to run).
 */
export function TextWithCode({ text }: { text: string }) {
  const parts = text.split(/`([^`]+)`/);
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <code key={index} className="command">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}
