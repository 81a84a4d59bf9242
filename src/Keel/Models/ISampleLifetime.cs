namespace Keel.Models;

/// <summary>
/// A model that wants to know which samples are running on it: batch mode sends a turn as soon as every running sample
/// waits on a model call (see <see cref="Keel.Models.Batch.BatchingHandler"/>).
/// </summary>
public interface ISampleLifetime
{
    /// <summary>
    /// Marks a sample as running from now until the returned handle is disposed (when its agent loop has ended, or when
    /// it will not run after all); null when the model does not track samples.
    /// </summary>
    IDisposable? BeginSample();
}
