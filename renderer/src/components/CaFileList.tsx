// The commissioning CA files chosen for checking a certificate's signer, each with its Remove button: the
// verifier and the re-audit from a certificate both list them.
export function CaFileList({
  cas,
  onRemove,
}: {
  cas: readonly { fileName: string }[];
  onRemove: (fileName: string) => void;
}) {
  return (
    <ul className="plain-list">
      {cas.map((ca) => (
        <li key={ca.fileName} className="row">
          <span>{ca.fileName}</span>
          <button
            type="button"
            className="button button-small"
            onClick={() => onRemove(ca.fileName)}
          >
            Remove {ca.fileName}
          </button>
        </li>
      ))}
    </ul>
  );
}
